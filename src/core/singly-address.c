/* placeholder: being written */
#include "config.h"
#include "singly-address.h"

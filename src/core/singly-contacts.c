/* placeholder: being written */
#include "config.h"
#include "singly-contacts.h"
